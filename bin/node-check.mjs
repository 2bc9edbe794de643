// Ferry runs its TypeScript sources with Node's type stripping and needs node:sqlite and
// zstd: Node.js 24 or newer. Imported first by every entry (ferry, npm start, npm run
// serve) and written in syntax any Node parses, so an older Node says what is needed
// instead of failing with a stack trace on what follows.

export const NODE_MAJOR_NEEDED = 24;

/** What is wrong with this Node version for Ferry, or undefined. */
export function nodeVersionProblem(version) {
  const major = Number(String(version).split('.')[0]);
  if (major >= NODE_MAJOR_NEEDED) return undefined;
  return `Node.js ${NODE_MAJOR_NEEDED} is needed (this is ${version}): install Node.js ${NODE_MAJOR_NEEDED} or newer (https://nodejs.org) and run this again with it.`;
}

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
