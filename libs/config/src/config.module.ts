import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ConfigClass, validateConfig } from './settings';

/**
 * Wraps @nestjs/config: validates the app's settings at start-up (failing fast with a readable message) and
 * exposes them as injectables: the app's config class, each of its parts and each composed part it includes, so a
 * component injects the narrowest one it reads (PersistenceModule: PersistenceConfig, MessagingModule: KafkaSettings).
 */
@Global()
@Module({})
export class ScimflowConfigModule {
  static forApp(schema: ConfigClass): DynamicModule {
    const validate = (env: Record<string, unknown>) => validateConfig(schema, env);
    const views = [...schema.parts, ...schema.views];
    return {
      module: ScimflowConfigModule,
      imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate })],
      providers: [{ provide: schema, useFactory: () => validate(process.env) }, ...views.map((view) => ({ provide: view, useExisting: schema }))],
      exports: [schema, ...views],
    };
  }
}
