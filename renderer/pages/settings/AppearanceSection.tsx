import PaletteOutlined from '@mui/icons-material/PaletteOutlined';
import FormControlLabel from '@mui/material/FormControlLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import { useId } from 'react';
import { setThemeMode, type ThemeMode, useThemeStore } from '../../store/theme.ts';
import { Row, Section } from './Section.tsx';

const SYSTEM = 'system';

/** Light, dark, or whatever the OS prefers (and follows it when it changes). */
export function AppearanceSection() {
  const preference = useThemeStore((s) => s.preference);
  const system = useThemeStore((s) => s.system);
  const labelId = useId();
  return (
    <Section title="Appearance" description="Stored in this browser or app window." icon={PaletteOutlined}>
      <Row label={<span id={labelId}>Theme</span>} hint={`The system prefers ${system} mode now.`}>
        <RadioGroup
          row
          aria-labelledby={labelId}
          value={preference ?? SYSTEM}
          onChange={(event) => setThemeMode(event.target.value === SYSTEM ? null : (event.target.value as ThemeMode))}
        >
          <FormControlLabel value="light" control={<Radio />} label="Light" />
          <FormControlLabel value="dark" control={<Radio />} label="Dark" />
          <FormControlLabel value={SYSTEM} control={<Radio />} label="Follow the system" />
        </RadioGroup>
      </Row>
    </Section>
  );
}
