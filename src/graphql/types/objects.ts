import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import { Connection } from './connection';

export enum ViewerKind {
  PLATFORM = 'PLATFORM',
  ADMIN_KEY = 'ADMIN_KEY',
  SESSION = 'SESSION',
}
registerEnumType(ViewerKind, { name: 'ViewerKind', description: 'How the caller authenticated' });

export enum Role {
  ADMIN = 'ADMIN',
  MEMBER = 'MEMBER',
}
registerEnumType(Role, { name: 'Role' });

@ObjectType({ description: 'Values an administrator pastes into the identity provider' })
export class ServiceProvider {
  @Field({ description: 'SP entity ID (Audience URI)' })
  entityId!: string;

  @Field({ description: 'Assertion consumer service URL (Single sign-on URL, Recipient, Destination)' })
  acsUrl!: string;

  @Field()
  metadataUrl!: string;

  @Field({ description: 'Where sign-in starts (SP-initiated)' })
  loginUrl!: string;
}

@ObjectType()
export class Certificate {
  @Field()
  pem!: string;

  @Field(() => String, { nullable: true })
  subject!: string | null;

  @Field(() => String, { nullable: true })
  issuer!: string | null;

  @Field(() => DateTimeResolver, { nullable: true })
  notBefore!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  notAfter!: Date | null;

  @Field()
  fingerprintSha256!: string;
}

@ObjectType()
export class SamlConfig {
  @Field()
  idpEntityId!: string;

  @Field()
  ssoUrl!: string;

  @Field(() => [Certificate])
  certificates!: Certificate[];

  @Field()
  groupsAttribute!: string;

  @Field()
  allowIdpInitiated!: boolean;

  @Field()
  jitProvisioning!: boolean;

  @Field({ description: 'Accept RSA-SHA1 signatures and SHA-1 digests (legacy IdPs only)' })
  allowSha1!: boolean;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;
}

@ObjectType({ description: 'A SCIM bearer token; its secret is shown only once, when issued' })
export class ScimToken {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'The visible start of the token, to tell tokens apart' })
  prefix!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType({ description: 'A channel-scoped admin API key; its secret is shown only once, when created' })
export class AdminApiKey extends ScimToken {}

@ObjectType()
export class User {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'The one address: SCIM userName and primary email' })
  email!: string;

  @Field(() => String, { nullable: true })
  givenName!: string | null;

  @Field(() => String, { nullable: true })
  familyName!: string | null;

  @Field(() => String, { nullable: true })
  displayName!: string | null;

  @Field(() => String, { nullable: true })
  externalId!: string | null;

  @Field({ description: 'false: an inactive user, who cannot sign in; profile, memberships and content remain' })
  active!: boolean;

  @Field(() => Role)
  role!: Role;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;
}

@ObjectType()
export class Group {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true, description: 'The SAML group this group is matched to, if any' })
  samlGroupName!: string | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

@ObjectType({ description: 'A group the identity provider pushed over SCIM; a channel group can be matched to it' })
export class DirectoryGroup {
  @Field(() => ID)
  id!: string;

  @Field()
  displayName!: string;

  @Field(() => String, { nullable: true })
  externalId!: string | null;

  @Field(() => Int)
  memberCount!: number;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

@ObjectType()
export class AuditEvent {
  @Field(() => ID)
  id!: string;

  @Field(() => DateTimeResolver)
  at!: Date;

  @Field({ description: 'scim_token, admin_key, user, platform or system' })
  actorType!: string;

  @Field(() => String, { nullable: true })
  actorId!: string | null;

  @Field(() => String, { nullable: true, description: "A token's prefix, a user's email" })
  actorLabel!: string | null;

  @Field({ description: 'What happened, e.g. user.created, user.deactivated, group.matched, saml.signInRefused' })
  action!: string;

  @Field(() => String, { nullable: true })
  targetType!: string | null;

  @Field(() => String, { nullable: true })
  targetId!: string | null;

  @Field(() => JSONObjectResolver, { description: 'What changed, compactly' })
  summary!: Record<string, unknown>;
}

@ObjectType()
export class Video {
  @Field(() => ID)
  id!: string;

  @Field()
  title!: string;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

@ObjectType()
export class Comment {
  @Field(() => ID)
  id!: string;

  @Field()
  body!: string;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

@ObjectType()
export class Channel {
  @Field(() => ID)
  id!: string;

  @Field()
  slug!: string;

  @Field()
  name!: string;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

@ObjectType()
export class Viewer {
  @Field(() => ViewerKind)
  kind!: ViewerKind;

  @Field(() => Channel, { nullable: true, description: 'null for the platform token' })
  channel!: Channel | null;

  @Field(() => User, { nullable: true, description: 'null for token and key callers' })
  user!: User | null;
}

export const UserConnection = Connection('User', User);
export const GroupConnection = Connection('Group', Group);
export const DirectoryGroupConnection = Connection('DirectoryGroup', DirectoryGroup);
export const AuditEventConnection = Connection('AuditEvent', AuditEvent);
export const VideoConnection = Connection('Video', Video);
