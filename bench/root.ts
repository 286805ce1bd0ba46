import path from 'node:path';

/** The repository root, from bench/ (sources, tests) or dist/bench/ (compiled) alike. */
export const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
