import { openPostgresTeamStore } from '../../src/adapters/postgres/postgres-team-store.ts';
import { postgresUrlForTests } from '../support/postgres.ts';
import { runAbuseSuite } from './abuse-suite.ts';
import { runApiSuite } from './api-suite.ts';
import { runResponseSchemaSuite } from './response-schemas-suite.ts';

const open = async () => openPostgresTeamStore(await postgresUrlForTests());
runApiSuite('PostgreSQL', open);
runResponseSchemaSuite('PostgreSQL', open);
runAbuseSuite('PostgreSQL', open);
