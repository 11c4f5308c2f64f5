import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { AdminApiKey, Channel, ScimToken } from './objects';

@InputType()
export class CreateChannelInput {
  @Field({ description: 'URL-safe, unique: lowercase letters, digits and hyphens' })
  slug!: string;

  @Field()
  name!: string;
}

@ObjectType()
export class CreateChannelPayload {
  @Field(() => Channel)
  channel!: Channel;

  @Field({ description: 'The channel’s first admin API key; shown only this once' })
  adminApiKey!: string;
}

@InputType({ description: 'Either metadataXml, or idpEntityId + ssoUrl + certificates' })
export class ConfigureSamlInput {
  @Field(() => String, { nullable: true, description: 'The IdP metadata XML (Okta: "Identity Provider metadata")' })
  metadataXml?: string | null;

  @Field(() => String, { nullable: true })
  idpEntityId?: string | null;

  @Field(() => String, { nullable: true })
  ssoUrl?: string | null;

  @Field(() => [String], { nullable: true, description: 'PEM signing certificates; several during a rollover' })
  certificates?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Attribute carrying group names (default "groups")' })
  groupsAttribute?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Accept IdP-initiated sign-in (default false)' })
  allowIdpInitiated?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Create unknown users at first sign-in (default false)' })
  jitProvisioning?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Accept SHA-1 signatures and digests (default false)' })
  allowSha1?: boolean | null;
}

@InputType()
export class IssueScimTokenInput {
  @Field(() => String, { nullable: true })
  description?: string | null;
}

@ObjectType()
export class IssueScimTokenPayload {
  @Field({ description: 'The bearer token for the IdP; shown only this once' })
  token!: string;

  @Field(() => ScimToken)
  scimToken!: ScimToken;
}

@InputType()
export class CreateAdminApiKeyInput {
  @Field(() => String, { nullable: true })
  description?: string | null;
}

@ObjectType()
export class CreateAdminApiKeyPayload {
  @Field({ description: 'The key; shown only this once' })
  key!: string;

  @Field(() => AdminApiKey)
  adminApiKey!: AdminApiKey;
}

@InputType()
export class CreateGroupInput {
  @Field()
  name!: string;

  @Field(() => String, { nullable: true, description: 'Match to this SAML group name at once' })
  samlGroupName?: string | null;
}

@InputType()
export class UpdateGroupInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'A SAML group name to match; null unmatches (members are kept); omitted leaves the match alone',
  })
  samlGroupName?: string | null;
}

@InputType()
export class CreateVideoInput {
  @Field()
  title!: string;

  @Field(() => ID, { nullable: true, description: 'Defaults to the signed-in user' })
  ownerId?: string | null;
}

@InputType()
export class AddCommentInput {
  @Field(() => ID)
  videoId!: string;

  @Field()
  body!: string;

  @Field(() => ID, { nullable: true, description: 'Defaults to the signed-in user' })
  authorId?: string | null;
}
