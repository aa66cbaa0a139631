import { after } from 'node:test';
import { runApiSuite } from './api-suite.ts';
import { sqliteOpener } from './support.ts';

const sqlite = sqliteOpener();
after(() => sqlite.cleanup());
runApiSuite('SQLite', sqlite.open);
