import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// <vitrine-assistant> as ONE classic script (IIFE, Preact and styles inside) at web/dist/assistant.js,
// served at /assistant.js for shop pages to include. Runs after the studio's build, into the same dist.
export default defineConfig({
  plugins: [preact()],
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    lib: {
      entry: 'src/assistant/assistant-element.tsx',
      formats: ['iife'],
      name: 'VitrineAssistant',
      fileName: () => 'assistant.js',
    },
  },
});
