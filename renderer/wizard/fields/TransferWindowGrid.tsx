import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { alpha, type Theme } from '@mui/material/styles';
import { type KeyboardEvent, type PointerEvent, useId, useMemo, useRef, useState } from 'react';
import type { TransferWindow } from '../../../shared/domain/job.ts';
import { VisuallyHidden } from '../../components/VisuallyHidden.tsx';
import { dayName, shortDayName, weekOrder } from './days.ts';
import { allowAll, type Cell, describeWindow, HOURS, isAllowed, moveCell, outsideOfficeHours, paintRect, rangeWords } from './window.ts';

export interface TransferWindowGridProps {
  masks: TransferWindow;
  onChange: (masks: TransferWindow) => void;
  error?: string | undefined;
  /** The grid's focusable cell, to focus it when the window has a message. */
  gridRef?: (element: HTMLElement | null) => void;
  disabled?: boolean;
}

/** A paint in progress: from `anchor`, every cell up to the pointer or the focus gets `allowed`, over the grid as it was. */
interface Stroke {
  anchor: Cell;
  allowed: boolean;
  base: TransferWindow;
}

const HOUR_INDEXES = Array.from({ length: HOURS }, (_, hour) => hour);

/** A denied hour: a grey that stays visible against the paper in both themes. */
const deniedColor = (theme: Theme) => alpha(theme.palette.text.primary, theme.palette.mode === 'dark' ? 0.13 : 0.11);

function cellAt(x: number, y: number): Cell | null {
  const element = document.elementFromPoint(x, y)?.closest<HTMLElement>('[data-day]');
  if (!element) return null;
  return { day: Number(element.dataset.day), hour: Number(element.dataset.hour) };
}

/**
 * The 7×24 grid of hours a job may transfer in. Mouse or touch: press on a cell and drag
 * to paint a rectangle with the opposite of that cell's state. Keyboard: the arrows move,
 * Space toggles, Shift with the arrows paints from the last toggled (or current) cell,
 * Home/End go to the day's first/last hour. Each cell says its day, hours and state.
 */
export function TransferWindowGrid({ masks, onChange, error, gridRef, disabled }: TransferWindowGridProps) {
  const helpId = useId();
  const wordsId = useId();
  const order = useMemo(() => weekOrder(), []);
  const [focus, setFocus] = useState<Cell>({ day: order[0]!, hour: 0 });
  const stroke = useRef<Stroke | null>(null);
  const keyStroke = useRef<Stroke | null>(null);
  const cells = useRef(new Map<string, HTMLElement>());

  const focusCell = (cell: Cell) => {
    setFocus(cell);
    cells.current.get(`${cell.day}-${cell.hour}`)?.focus();
  };

  const paint = (current: Stroke, to: Cell) => onChange(paintRect(current.base, current.anchor, to, current.allowed, order));

  const onPointerDown = (event: PointerEvent, cell: Cell) => {
    if (disabled || event.button !== 0) return;
    event.preventDefault();
    (event.currentTarget as HTMLElement).releasePointerCapture?.(event.pointerId);
    stroke.current = { anchor: cell, allowed: !isAllowed(masks, cell), base: masks };
    paint(stroke.current, cell);
    focusCell(cell);
  };

  const onPointerMove = (event: PointerEvent) => {
    if (!stroke.current) return;
    const cell = cellAt(event.clientX, event.clientY);
    if (cell) paint(stroke.current, cell);
  };

  const endStroke = () => {
    stroke.current = null;
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (disabled) return;
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const row = order.indexOf(focus.day);
    let next: Cell | null = null;
    if (event.key in moves) {
      const [rows, hours] = moves[event.key]!;
      // Rows follow the page's week order, not the weekday numbers.
      const moved = moveCell({ day: row, hour: focus.hour }, rows, hours);
      next = { day: order[moved.day]!, hour: moved.hour };
    } else if (event.key === 'Home') next = { day: event.ctrlKey ? order[0]! : focus.day, hour: 0 };
    else if (event.key === 'End') next = { day: event.ctrlKey ? order.at(-1)! : focus.day, hour: HOURS - 1 };
    else if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      const allowed = !isAllowed(masks, focus);
      const toggled = paintRect(masks, focus, focus, allowed);
      keyStroke.current = { anchor: focus, allowed, base: toggled };
      onChange(toggled);
      return;
    }
    if (!next) return;
    event.preventDefault();
    if (event.shiftKey) {
      keyStroke.current ??= { anchor: focus, allowed: isAllowed(masks, focus), base: masks };
      paint(keyStroke.current, next);
    } else keyStroke.current = null;
    focusCell(next);
  };

  const setAll = (next: TransferWindow) => {
    keyStroke.current = null;
    onChange(next);
  };

  return (
    <Stack spacing={1}>
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1 }}>
        <Button size="small" variant="outlined" onClick={() => setAll(allowAll())} disabled={disabled}>
          Allow all
        </Button>
        <Button size="small" variant="outlined" onClick={() => setAll(paintRect(allowAll(), { day: 0, hour: 0 }, { day: 6, hour: HOURS - 1 }, false))} disabled={disabled}>
          Deny all
        </Button>
        <Button size="small" variant="outlined" onClick={() => setAll(outsideOfficeHours())} disabled={disabled}>
          Outside office hours
        </Button>
      </Stack>
      <Box sx={{ overflowX: 'auto', pb: 0.5 }}>
        <Box
          component="table"
          role="grid"
          aria-label="Transfer window"
          aria-describedby={`${helpId} ${wordsId}`}
          aria-invalid={error ? true : undefined}
          aria-disabled={disabled || undefined}
          onKeyDown={onKeyDown}
          onPointerMove={onPointerMove}
          onPointerUp={endStroke}
          onPointerLeave={endStroke}
          onPointerCancel={endStroke}
          sx={{
            borderCollapse: 'separate',
            borderSpacing: '2px',
            userSelect: 'none',
            touchAction: 'none',
            tableLayout: 'fixed',
            '& th': { fontWeight: 500, fontSize: '0.6875rem', color: 'text.secondary', p: 0 },
          }}
        >
          <thead>
            <tr>
              <Box component="th" scope="col" sx={{ width: 44 }}>
                <VisuallyHidden>Day</VisuallyHidden>
              </Box>
              {HOUR_INDEXES.map((hour) => (
                <Box component="th" scope="col" key={hour} aria-label={`${String(hour).padStart(2, '0')}:00`} sx={{ width: 22, textAlign: 'center' }}>
                  {hour}
                </Box>
              ))}
            </tr>
          </thead>
          <tbody>
            {order.map((day) => (
              <tr key={day}>
                <Box component="th" scope="row" aria-label={dayName(day)} sx={{ textAlign: 'left', pr: 0.5, whiteSpace: 'nowrap' }}>
                  {shortDayName(day)}
                </Box>
                {HOUR_INDEXES.map((hour) => {
                  const cell = { day, hour };
                  const allowed = isAllowed(masks, cell);
                  const focused = focus.day === day && focus.hour === hour;
                  return (
                    <Box
                      component="td"
                      role="gridcell"
                      key={hour}
                      data-day={day}
                      data-hour={hour}
                      tabIndex={focused && !disabled ? 0 : -1}
                      aria-selected={allowed}
                      // The focusable cell also carries the grid's help or message, heard on entering the grid.
                      aria-describedby={focused ? helpId : undefined}
                      aria-label={`${dayName(day)} ${rangeWords([hour, hour + 1])}: ${allowed ? 'allowed' : 'denied'}`}
                      ref={(element: HTMLElement | null) => {
                        if (element) cells.current.set(`${day}-${hour}`, element);
                        else cells.current.delete(`${day}-${hour}`);
                        if (focused) gridRef?.(element);
                      }}
                      onPointerDown={(event: PointerEvent) => onPointerDown(event, cell)}
                      onFocus={() => setFocus(cell)}
                      sx={(theme) => ({
                        height: 22,
                        p: 0,
                        borderRadius: '3px',
                        cursor: disabled ? 'default' : 'pointer',
                        bgcolor: allowed ? 'primary.main' : deniedColor(theme),
                        '&:focus-visible': { outline: `2px solid ${theme.palette.text.primary}`, outlineOffset: '1px' },
                        opacity: disabled ? 0.5 : 1,
                      })}
                    />
                  );
                })}
              </tr>
            ))}
          </tbody>
        </Box>
      </Box>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Legend allowed label="Transfer allowed" />
        <Legend allowed={false} label="Denied: the job pauses" />
      </Stack>
      <Typography id={helpId} variant="caption" sx={{ color: error ? 'error.main' : 'text.secondary' }} role={error ? 'alert' : undefined}>
        {error ?? 'Drag across hours to allow or deny them. With the keyboard: arrows move, Space switches an hour, Shift with the arrows extends.'}
      </Typography>
      <Typography id={wordsId} variant="body2">
        {describeWindow(masks, order, (day) => dayName(day))}
      </Typography>
    </Stack>
  );
}

function Legend({ allowed, label }: { allowed: boolean; label: string }) {
  return (
    <Stack direction="row" spacing={0.75} sx={{ alignItems: 'center' }}>
      <Box
        aria-hidden
        sx={(theme) => ({
          width: 14,
          height: 14,
          borderRadius: '3px',
          bgcolor: allowed ? 'primary.main' : deniedColor(theme),
        })}
      />
      <Typography variant="caption" sx={{ color: 'text.secondary' }}>
        {label}
      </Typography>
    </Stack>
  );
}
