// Two front ends from one build: the staff app (/app) and the client portal (/portal).
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

const web = (p: string) => fileURLToPath(new URL(`./src/web/${p}`, import.meta.url))

export default defineConfig({
  root: web(''),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        staff: web('staff/index.html'),
        portal: web('portal/index.html'),
      },
    },
  },
})
