/**
 * What a browser gets from the console without its access token (or with a stale one): a
 * page saying how to get in, as a browser shows it; scripts get the same words as text.
 */

const HOW_TO_GET_IN = [
  'Open the link printed where this console was started: the terminal of npm start or ferry serve shows it as “Ferry console: http://…/?token=…”. Run as a service with --link-file, the link is in that file.',
  'The link changes each time the console starts. Lost it? Start the console again, or on Linux and macOS run kill -USR2 with its process id: it prints a new link (and older ones stop working).',
];

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Whether the request is a browser's navigation (it accepts HTML). */
export function wantsHtml(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((type) => type.trim().split(';')[0] === 'text/html');
}

export function accessText(reason: string): string {
  return [reason, ...HOW_TO_GET_IN].join('\n') + '\n';
}

export function accessPage(reason: string): string {
  const paragraphs = [reason, ...HOW_TO_GET_IN].map((text) => `<p>${escapeHtml(text)}</p>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ferry console: open its access link</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #1b1f24; background: #fff; }
h1 { font-size: 1.5rem; line-height: 1.3; }
@media (prefers-color-scheme: dark) { body { color: #e6e8eb; background: #121417; } }
</style>
</head>
<body>
<main>
<h1>This Ferry console needs its access link</h1>
${paragraphs}
</main>
</body>
</html>
`;
}
