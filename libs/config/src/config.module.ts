import { Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig, validateConfig } from './config';

/**
 * Wraps @nestjs/config: validates the environment at start-up (failing fast with a readable message)
 * and exposes the typed AppConfig as an injectable.
 */
@Global()
@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateConfig })],
  providers: [
    {
      provide: AppConfig,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => validateConfig(process.env as Record<string, unknown>) ?? config,
    },
  ],
  exports: [AppConfig],
})
export class ScimflowConfigModule {}
