import { test } from 'vitest';
test('smoke', async () => { await import('./smoke.js'); }, 120000);
