import 'reflect-metadata';
import { IngressConfig } from '@scimflow/config';
import { startApp } from '@scimflow/platform';
import { configureIngress } from './configure';
import { IngressModule } from './ingress.module';

void startApp('ingress', IngressModule, IngressConfig, (c) => c.INGRESS_PORT, configureIngress);
