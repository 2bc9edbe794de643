// Validates electron-builder.yml the way electron-builder itself does before a build:
// app-builder-lib's getConfig() (loads the YAML, applies `extends`, normalizes `files`)
// and validateConfiguration() (ajv against app-builder-lib/scheme.json, plus its checks
// for deprecated options). Then Ferry's own expectations of the packaging.
// Usage: node scripts/check-builder-config.mjs [config file]   (exit 1 when invalid)
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const configFile = path.resolve(root, process.argv[2] ?? 'electron-builder.yml');

const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
const { DebugLogger } = require('builder-util');

const errors = [];
const warnings = [];

if (!existsSync(configFile)) {
  console.error(`check-builder-config: ${path.relative(root, configFile)} does not exist.`);
  process.exit(1);
}

let config;
try {
  config = await getConfig(root, configFile, null);
  await validateConfiguration(config, new DebugLogger(false));
} catch (error) {
  console.error(`check-builder-config: ${path.relative(root, configFile)} is not a valid electron-builder configuration:`);
  console.error(error instanceof Error ? error.message : String(error));
  if (config) for (const line of unknownProperties(config)) console.error(line);
  process.exit(1);
}

/**
 * electron-builder folds an unknown option inside e.g. `mac` into "mac should be one of
 * these: null"; list the unknown names with the same schema and ajv options it uses.
 */
function unknownProperties(data) {
  // The ajv app-builder-lib itself resolves.
  const Ajv = createRequire(require.resolve('app-builder-lib/package.json'))('ajv').default;
  const schema = require('app-builder-lib/scheme.json');
  const validate = new Ajv({ allErrors: true, coerceTypes: true, strict: false }).compile(schema);
  if (validate(structuredClone(data))) return [];
  const seen = new Set();
  for (const error of validate.errors ?? []) {
    if (error.keyword !== 'additionalProperties') continue;
    const where = error.instancePath.split('/').filter(Boolean).join('.') || '(root)';
    seen.add(`   unknown option: ${where === '(root)' ? '' : `${where}.`}${error.params.additionalProperty}`);
  }
  return [...seen];
}

// ------------------------------------------------------------ Ferry's expectations

const expect = (condition, message) => {
  if (!condition) errors.push(message);
};
const asArray = (value) => (value == null ? [] : Array.isArray(value) ? value : [value]);
/** [{ target, arch: [...] }] from the forms a `target` option may take. */
const targets = (value) =>
  asArray(value).map((entry) =>
    typeof entry === 'string' ? { target: entry, arch: [] } : { target: entry.target, arch: asArray(entry.arch) },
  );
const hasTarget = (platform, name, archs) => {
  const entry = targets(config[platform]?.target).find((t) => t.target.toLowerCase() === name.toLowerCase());
  expect(entry, `${platform}.target must include ${name}`);
  if (!entry) return;
  for (const arch of archs) expect(entry.arch.includes(arch), `${platform} ${name} must be built for ${arch}`);
};

expect(config.appId === 'dev.ferry.console', 'appId must be dev.ferry.console');
expect(config.productName === 'Ferry', 'productName must be Ferry');
expect(config.directories?.output === 'release', 'directories.output must be release (dist/ holds the build)');
expect(config.asar === true, 'asar must be true');

// getConfig() normalized `files` into file sets ({ filter: [...] }).
const filePatterns = asArray(config.files).flatMap((set) => (typeof set === 'string' ? [set] : asArray(set.filter)));
expect(
  filePatterns.some((p) => p === 'dist/**/*' || p === 'dist/**'),
  'files must include dist/**',
);
expect(filePatterns.includes('package.json'), 'files must include package.json');
expect(
  filePatterns.some((p) => p.startsWith('!') && p.includes('dist/') && p.endsWith('.map')),
  'files must exclude the source maps (!dist/**/*.map)',
);

// Electron's fuses as its security checklist recommends (https://www.electronjs.org/docs/latest/tutorial/fuses).
const RECOMMENDED_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
};
for (const [fuse, value] of Object.entries(RECOMMENDED_FUSES)) {
  expect(config.electronFuses?.[fuse] === value, `electronFuses.${fuse} must be ${value}`);
}

hasTarget('win', 'nsis', ['x64', 'arm64']);
hasTarget('mac', 'dmg', ['x64', 'arm64']);
expect(config.mac?.category === 'public.app-category.utilities', 'mac.category must be public.app-category.utilities');
expect(config.mac?.hardenedRuntime === true, 'mac.hardenedRuntime must be true');
hasTarget('linux', 'AppImage', ['x64']);
hasTarget('linux', 'deb', ['x64']);
expect(config.linux?.category === 'Utility', 'linux.category must be Utility');
expect(
  typeof config.linux?.maintainer === 'string' && /<[^>]+@[^>]+>/.test(config.linux.maintainer),
  'linux.maintainer must be "Name <email>" (the deb needs it)',
);

for (const platform of ['win', 'mac', 'linux']) {
  const icon = config[platform]?.icon;
  if (typeof icon === 'string') expect(existsSync(path.resolve(root, icon)), `${platform}.icon ${icon} does not exist`);
}

// package.json fields some targets need at build time (reported, not fatal here).
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
if (pkg.main !== 'dist/main/main.cjs') errors.push('package.json "main" must be dist/main/main.cjs');
if (!pkg.homepage) warnings.push('package.json has no "homepage": the deb target refuses to build without one');
if (!pkg.author) warnings.push('package.json has no "author": electron-builder warns, and the NSIS publisher name is empty');

for (const warning of warnings) console.warn(`check-builder-config: warning: ${warning}`);
if (errors.length > 0) {
  console.error(`check-builder-config: ${path.relative(root, configFile)}:`);
  for (const error of errors) console.error(` - ${error}`);
  process.exit(1);
}
console.log(`check-builder-config: ${path.relative(root, configFile)} is valid (electron-builder's schema and Ferry's checks).`);
