import attributeChange from './attribute-change.v1.json';
import cloudEvent from './cloudevent.v1.json';
import deadLetter from './dead-letter.v1.json';
import groupChanged from './group-changed.v1.json';
import membershipChanged from './membership-changed.v1.json';
import provisioningCommand from './provisioning-command.v1.json';
import userChanged from './user-changed.v1.json';
import { TopicKey } from '../topics';

/**
 * JSON Schemas (draft 2020-12) of every topic's record value, as data. Versioned by file (`*.v1.json`): a v2 is a new
 * file beside v1, never an edit of v1 (docs/events.md, "Versioning").
 */
export const CONTRACT_SCHEMAS = { attributeChange, cloudEvent, deadLetter, groupChanged, membershipChanged, provisioningCommand, userChanged } as const;

/** The schema `$id` that validates each topic's values (command outcomes are an internal request–reply detail). */
export const TOPIC_SCHEMA_IDS: Partial<Record<TopicKey, string>> = {
  commands: provisioningCommand.$id,
  userChanged: userChanged.$id,
  groupChanged: groupChanged.$id,
  membershipChanged: membershipChanged.$id,
  deadLetters: deadLetter.$id,
};
