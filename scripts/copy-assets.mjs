// Copies the files tsc does not emit (the playground's static page) next to the compiled code,
// so `node dist/src/main.js` and the Docker image serve the same page as `npm start`.
import { cpSync } from 'node:fs';

cpSync('src/platforms/playground/public', 'dist/src/platforms/playground/public', {
  recursive: true,
});
