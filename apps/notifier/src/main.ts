import 'reflect-metadata';
import { NotifierConfig } from '@scimflow/config';
import { startApp } from '@scimflow/platform';
import { NotifierModule } from './notifier.module';

void startApp('notifier', NotifierModule, NotifierConfig, (c) => c.NOTIFIER_PORT);
