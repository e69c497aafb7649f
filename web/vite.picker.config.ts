import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// <vitrine-picker> as ONE classic script (IIFE, Preact and styles inside) at web/dist/picker.js,
// served at /picker.js for any site to include. Runs after the studio's build, into the same dist.
export default defineConfig({
  plugins: [preact()],
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    lib: {
      entry: 'src/picker/picker-element.tsx',
      formats: ['iife'],
      name: 'VitrinePicker',
      fileName: () => 'picker.js',
    },
  },
});
