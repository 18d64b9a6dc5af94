// Only the TypeScript sources: `npm run build` also emits dist/test/*.test.js.
export default { test: { include: ['test/**/*.test.ts'] } };
