import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// Built into web/dist and served by the API process (src/api/routes/studio-web.routes.ts), which
// answers /static/* with long-lived caching: every file there has a content hash in its name.
export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'static',
    // The studio's CSP allows no inline code or data: scripts, so nothing may be inlined as base64.
    assetsInlineLimit: 0,
    target: 'es2022',
    // The studio, and the picker demo (/demo/editor); /picker.js itself is vite.picker.config.ts.
    rollupOptions: { input: { studio: 'index.html', 'demo-editor': 'demo/editor.html' } },
  },
});
