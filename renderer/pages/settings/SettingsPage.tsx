import DesktopWindowsOutlined from '@mui/icons-material/DesktopWindowsOutlined';
import Stack from '@mui/material/Stack';
import { PageHeader } from '../../components/PageHeader.tsx';
import { isDesktop } from '../../connection/bridge.ts';
import { AppearanceSection } from './AppearanceSection.tsx';
import { EngineSection } from './EngineSection.tsx';
import { MailSection } from './MailSection.tsx';
import { SchedulerSection } from './SchedulerSection.tsx';
import { Section } from './Section.tsx';
import { StartAtLogin } from './StartAtLogin.tsx';
import { TrafficSection } from './TrafficSection.tsx';

export function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="How the console looks, how the engine mails and limits traffic, and which engine it manages." />
      <Stack spacing={3} sx={{ maxWidth: 920 }}>
        <AppearanceSection />
        {isDesktop ? (
          <Section
            title="Desktop app"
            description="Closing the window keeps Ferry and its scheduled jobs running; open or quit it from the tray icon."
            icon={DesktopWindowsOutlined}
          >
            <StartAtLogin />
          </Section>
        ) : null}
        <MailSection />
        <TrafficSection />
        <SchedulerSection />
        <EngineSection />
      </Stack>
    </>
  );
}
