import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useMemo } from 'react';
import { dayName, weekOrder } from './days.ts';

export interface WeekdayFieldProps {
  label: string;
  name: string;
  /** 0 = Sunday. */
  value: number;
  onChange: (weekday: number) => void;
  helperText?: string;
  disabled?: boolean | undefined;
}

/** A weekday chosen from a list in the OS locale's names and week order. */
export function WeekdayField({ label, name, value, onChange, helperText, disabled }: WeekdayFieldProps) {
  const order = useMemo(() => weekOrder(), []);
  return (
    <TextField
      select
      size="small"
      label={label}
      name={name}
      value={value}
      onChange={(event) => onChange(Number(event.target.value))}
      disabled={disabled}
      helperText={helperText}
      sx={{ minWidth: 170 }}
    >
      {order.map((day) => (
        <MenuItem key={day} value={day}>
          {dayName(day)}
        </MenuItem>
      ))}
    </TextField>
  );
}
