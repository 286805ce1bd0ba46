import 'reflect-metadata';
import { startApp } from '@scimflow/platform';
import { NotifierModule } from './notifier.module';

void startApp('notifier', NotifierModule, (c) => c.NOTIFIER_PORT);
