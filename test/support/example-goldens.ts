/** The golden runs of the example cases besides the reference case (see test/example-cases.test.ts). */
import { join } from 'node:path';
import { REPO_ROOT } from './cli-harness.ts';

const example = (name: string) => join(REPO_ROOT, 'examples', name);

export const EXAMPLE_GOLDENS: readonly { readonly name: string; readonly args: readonly string[] }[] = [
  {
    name: 'mcc-tanzania-assess-2016-04-01.json',
    args: ['assess', example('mcc-tanzania'), '--as-of', '2016-04-01', '--format', 'json'],
  },
  {
    name: 'mcc-tanzania-history-2014-2016.json',
    args: [
      'history',
      example('mcc-tanzania'),
      '--from',
      '2014-01-01',
      '--to',
      '2016-12-31',
      '--step',
      'quarter',
      '--format',
      'json',
    ],
  },
  {
    name: 'us-egypt-fmf-assess-2023-09-30.json',
    args: ['assess', example('us-egypt-fmf'), '--as-of', '2023-09-30', '--format', 'json'],
  },
  {
    name: 'us-egypt-fmf-history-2016-2024.json',
    args: [
      'history',
      example('us-egypt-fmf'),
      '--from',
      '2016-01-01',
      '--to',
      '2024-12-31',
      '--step',
      'quarter',
      '--format',
      'json',
    ],
  },
];
