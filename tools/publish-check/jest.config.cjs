/** @type {import('jest').Config} */
// One file at a time: each packs every package, and two packs of one package must not overlap.
module.exports = { ...require('../../jest.preset.cjs'), rootDir: __dirname, maxWorkers: 1 };
