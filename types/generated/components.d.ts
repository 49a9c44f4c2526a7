import type { Schema, Struct } from '@strapi/strapi';

export interface IntakeField extends Struct.ComponentSchema {
  collectionName: 'components_intake_fields';
  info: {
    description: 'An extra question the intake form asks for this category (published as the Open311 service definition).';
    displayName: 'Intake field';
  };
  attributes: {
    allowedValues: Schema.Attribute.JSON;
    code: Schema.Attribute.String & Schema.Attribute.Required;
    datatype: Schema.Attribute.Enumeration<
      [
        'string',
        'text',
        'number',
        'datetime',
        'singlevaluelist',
        'multivaluelist',
      ]
    > &
      Schema.Attribute.Required &
      Schema.Attribute.DefaultTo<'string'>;
    label: Schema.Attribute.String &
      Schema.Attribute.Required &
      Schema.Attribute.SetMinMaxLength<{
        maxLength: 200;
      }>;
    order: Schema.Attribute.Integer & Schema.Attribute.DefaultTo<0>;
    required: Schema.Attribute.Boolean & Schema.Attribute.DefaultTo<false>;
  };
}

declare module '@strapi/strapi' {
  export namespace Public {
    export interface ComponentSchemas {
      'intake.field': IntakeField;
    }
  }
}
