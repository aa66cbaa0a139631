import { openPostgresTeamStore } from '../../src/adapters/postgres/postgres-team-store.ts';
import { postgresUrlForTests } from '../support/postgres.ts';
import { runApiSuite } from './api-suite.ts';

runApiSuite('PostgreSQL', async () => openPostgresTeamStore(await postgresUrlForTests()));
