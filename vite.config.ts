import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { CONSOLE_CSP_DIRECTIVES, contentSecurityPolicy } from './shared/security/csp.ts';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const rendererRoot = fileURLToPath(new URL('./renderer', import.meta.url));

/** The page's CSP meta tag, from the one definition in shared/ (no ws: or wss: to any host). */
function contentSecurityPolicyMeta(): Plugin {
  const policy = contentSecurityPolicy(CONSOLE_CSP_DIRECTIVES);
  return {
    name: 'ferry-csp-meta',
    transformIndexHtml: (html) => html.replace('%FERRY_CSP%', policy),
  };
}

/**
 * The console (renderer/) as a static app. `base: './'` keeps every asset URL
 * relative, so the same build loads from ferry://app in Electron and from the `serve`
 * host over HTTP. No React plugin: esbuild compiles JSX with the automatic runtime.
 */
export default defineConfig({
  root: rendererRoot,
  base: './',
  publicDir: 'public',
  esbuild: { jsx: 'automatic' },
  plugins: [contentSecurityPolicyMeta()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      onwarn(warning, warn) {
        // MUI marks its modules "use client" (a React Server Components hint, meaningless here).
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' || warning.code === 'SOURCEMAP_ERROR') return;
        // zod's /* @__PURE__ */ comments in positions Rollup cannot use: harmless, not ours.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
    },
  },
  server: {
    // The page imports ../shared: let the dev server read the whole repository.
    fs: { allow: [repoRoot] },
  },
});
