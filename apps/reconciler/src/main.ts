import 'reflect-metadata';
import { ReconcilerConfig } from '@scimflow/config';
import { startApp } from '@scimflow/platform';
import { ReconcilerModule } from './reconciler.module';

void startApp('reconciler', ReconcilerModule, ReconcilerConfig, (c) => c.RECONCILER_PORT);
