import { after } from 'node:test';
import { runAbuseSuite } from './abuse-suite.ts';
import { runApiSuite } from './api-suite.ts';
import { runResponseSchemaSuite } from './response-schemas-suite.ts';
import { sqliteOpener } from './support.ts';

const api = sqliteOpener();
const schemas = sqliteOpener();
const abuse = sqliteOpener();
after(() => {
  api.cleanup();
  schemas.cleanup();
  abuse.cleanup();
});
runApiSuite('SQLite', api.open);
runResponseSchemaSuite('SQLite', schemas.open);
runAbuseSuite('SQLite', abuse.open);
