import { openPostgresTeamStore } from '../../src/adapters/postgres/postgres-team-store.ts';
import { postgresUrlForTests } from '../support/postgres.ts';
import { runOpenApiRegressionSuite } from './openapi-fuzz-regressions.ts';
import { runOpenApiFuzzSuite } from './openapi-fuzz-suite.ts';

const open = async () => openPostgresTeamStore(await postgresUrlForTests());
runOpenApiRegressionSuite('PostgreSQL', open);
runOpenApiFuzzSuite('PostgreSQL', open);
