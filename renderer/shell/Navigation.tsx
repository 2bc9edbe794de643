import HistoryOutlined from '@mui/icons-material/HistoryOutlined';
import HomeOutlined from '@mui/icons-material/HomeOutlined';
import Inventory2Outlined from '@mui/icons-material/Inventory2Outlined';
import SettingsOutlined from '@mui/icons-material/SettingsOutlined';
import StorageOutlined from '@mui/icons-material/StorageOutlined';
import WorkHistoryOutlined from '@mui/icons-material/WorkHistoryOutlined';
import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import type { IconComponent } from '../components/Illustration.tsx';
import { useConnection } from '../store/connection.ts';
import { hrefFor, type RouteName, useRoute } from './router.ts';

export interface NavItem {
  route: RouteName;
  label: string;
  icon: IconComponent;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { route: 'home', label: 'Home', icon: HomeOutlined },
  { route: 'jobs', label: 'Jobs', icon: WorkHistoryOutlined },
  { route: 'backups', label: 'Backups', icon: Inventory2Outlined },
  { route: 'repositories', label: 'Repositories', icon: StorageOutlined },
  { route: 'history', label: 'History', icon: HistoryOutlined },
];

const SETTINGS: NavItem = { route: 'settings', label: 'Settings', icon: SettingsOutlined };

function NavLink({ item, selected, onNavigate }: { item: NavItem; selected: boolean; onNavigate?: () => void }) {
  const Icon = item.icon;
  return (
    <ListItem disablePadding sx={{ mb: 0.25 }}>
      <ListItemButton
        component="a"
        href={hrefFor(item.route)}
        selected={selected}
        aria-current={selected ? 'page' : undefined}
        onClick={onNavigate}
        sx={{ px: 1.5, py: 0.75, minHeight: 40 }}
      >
        <ListItemIcon sx={{ minWidth: 36 }}>
          <Icon fontSize="small" />
        </ListItemIcon>
        <ListItemText primary={item.label} slotProps={{ primary: { variant: 'body2', sx: { fontWeight: selected ? 600 : 500 } } }} />
      </ListItemButton>
    </ListItem>
  );
}

/** The left navigation: one link per page; the current one is marked for assistive tech. */
export function Navigation({ onNavigate }: { onNavigate?: () => void }) {
  const route = useRoute();
  const engine = useConnection((s) => s.engine);
  const linkProps = onNavigate ? { onNavigate } : {};
  return (
    <Box component="nav" aria-label="Main" sx={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <List sx={{ px: 1.25, py: 1.5 }}>
        {NAV_ITEMS.map((item) => (
          <NavLink key={item.route} item={item} selected={route.name === item.route} {...linkProps} />
        ))}
      </List>
      <Box sx={{ flex: 1 }} />
      <Divider />
      <List sx={{ px: 1.25, py: 1 }}>
        <NavLink item={SETTINGS} selected={route.name === 'settings'} {...linkProps} />
      </List>
      <Typography variant="caption" color="textSecondary" sx={{ px: 2.5, pb: 1.5, display: 'block' }}>
        {engine ? `Ferry ${engine.version}` : 'Ferry'}
      </Typography>
    </Box>
  );
}
