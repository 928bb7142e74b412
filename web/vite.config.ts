// Builds the web app into dist/web; the engine serves index.html at / and the assets under /static/.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export const webConfig = (outDir = fileURLToPath(new URL('../dist/web', import.meta.url))) =>
  defineConfig({
    root,
    base: '/static/',
    plugins: [react()],
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      // Flat output: the engine serves /static/<file> from one folder.
      assetsDir: '',
      sourcemap: false,
      target: 'es2022',
    },
  });

// eslint-disable-next-line no-restricted-syntax -- Vite finds its config by default export
export default webConfig();
