import { FerryError } from '../../shared/rpc/errors.ts';

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    process.stderr.write(question);
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    let value = '';
    const done = (error?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new FerryError('cancelled', 'Cancelled.'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    input.on('data', onData);
  });
}

/**
 * The password from FERRY_PASSWORD (or the variable named by `env`), else asked on the
 * terminal (twice when creating). Scripts without a terminal must set the variable.
 */
export async function readPassword(purpose: string, options: { confirm?: boolean; ignoreEnv?: boolean; env?: string } = {}): Promise<string> {
  const variable = options.env ?? 'FERRY_PASSWORD';
  const fromEnv = options.ignoreEnv ? undefined : process.env[variable];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) {
    throw new FerryError('wrong_password', `A password is needed for ${purpose}: set ${variable} or run in a terminal.`);
  }
  const first = await promptHidden(`Password for ${purpose}: `);
  if (first === '') throw new FerryError('invalid_input', 'The password cannot be empty.');
  if (options.confirm && (await promptHidden('Repeat the password: ')) !== first) {
    throw new FerryError('invalid_input', 'The two passwords differ.');
  }
  return first;
}

/** Asks at the terminal for the password of `purpose`; undefined without a terminal, or when the answer is empty (skipped). */
export async function askPassword(purpose: string): Promise<string | undefined> {
  if (!process.stdin.isTTY) return undefined;
  const answer = await promptHidden(`Password for ${purpose} (Enter to skip): `);
  return answer === '' ? undefined : answer;
}
