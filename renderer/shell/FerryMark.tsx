import Box from '@mui/material/Box';

/** The product mark: a ferry on the water, drawn inline (no image requests, works offline). */
export function FerryMark({ size = 28 }: { size?: number }) {
  return (
    <Box
      component="svg"
      viewBox="0 0 64 64"
      aria-hidden
      sx={{ width: size, height: size, flexShrink: 0, display: 'block' }}
    >
      <rect width="64" height="64" rx="14" fill="#2f74d8" />
      <path d="M12 38h40l-6 10H18z" fill="#ffffff" />
      <path d="M22 34V18l14 8-14 8z" fill="#cfe0fa" />
      <path
        d="M12 52c4 0 4-2 8-2s4 2 8 2 4-2 8-2 4 2 8 2 4-2 8-2"
        stroke="#cfe0fa"
        strokeWidth="2.5"
        fill="none"
        strokeLinecap="round"
      />
    </Box>
  );
}
