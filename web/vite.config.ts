import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is served by Roster under /admin (src/http/console.ts). In development (`npm run dev`) Vite
// serves it and forwards the API calls to a Roster started with `npm start` (ROSTER_URL, default :3000).
const roster = process.env.ROSTER_URL ?? 'http://localhost:3000';

export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: {
      '/graphql': roster,
      '/saml': roster,
      '/logout': roster,
    },
  },
});
