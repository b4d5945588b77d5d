import { Client, type Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { temporalDataConverter } from '../infra/payload-codec.ts';
import { DEV_PII_KEY } from '../infra/pii.ts';

/** Tests' workers and clients share the development key, as a deployment's share PII_KEY. */
export const testDataConverter: DataConverter = temporalDataConverter(DEV_PII_KEY);

export const testClient = (connection: Connection, namespace = 'default') => new Client({ connection, namespace, dataConverter: testDataConverter });
