import { after } from 'node:test';
import { runApiSuite } from './api-suite.ts';
import { runResponseSchemaSuite } from './response-schemas-suite.ts';
import { sqliteOpener } from './support.ts';

const api = sqliteOpener();
const schemas = sqliteOpener();
after(() => {
  api.cleanup();
  schemas.cleanup();
});
runApiSuite('SQLite', api.open);
runResponseSchemaSuite('SQLite', schemas.open);
