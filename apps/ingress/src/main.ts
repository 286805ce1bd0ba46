import 'reflect-metadata';
import { startApp } from '@scimflow/platform';
import { configureIngress } from './configure';
import { IngressModule } from './ingress.module';

void startApp('ingress', IngressModule, (c) => c.INGRESS_PORT, configureIngress);
