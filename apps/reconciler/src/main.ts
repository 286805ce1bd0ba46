import 'reflect-metadata';
import { startApp } from '@scimflow/config';
import { ReconcilerModule } from './reconciler.module';

void startApp('reconciler', ReconcilerModule, (c) => c.RECONCILER_PORT);
