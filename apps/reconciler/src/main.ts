import 'reflect-metadata';
import { startApp } from '@scimflow/platform';
import { ReconcilerModule } from './reconciler.module';

void startApp('reconciler', ReconcilerModule, (c) => c.RECONCILER_PORT);
