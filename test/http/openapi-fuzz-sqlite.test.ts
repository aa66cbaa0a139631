import { after } from 'node:test';
import { runOpenApiRegressionSuite } from './openapi-fuzz-regressions.ts';
import { runOpenApiFuzzSuite } from './openapi-fuzz-suite.ts';
import { sqliteOpener } from './support.ts';

const fuzz = sqliteOpener();
const regressions = sqliteOpener();
after(() => {
  fuzz.cleanup();
  regressions.cleanup();
});
runOpenApiRegressionSuite('SQLite', regressions.open);
runOpenApiFuzzSuite('SQLite', fuzz.open);
