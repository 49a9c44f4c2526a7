/**
 * JSON Schemas of GeoReport v2 responses, written from the published specification
 * (http://wiki.open311.org/GeoReport_v2): field names, types and required fields of each answer.
 */
const nullableString = { type: ['string', 'null'] };

export const serviceList = {
  type: 'array',
  items: {
    type: 'object',
    required: ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'],
    properties: {
      service_code: { type: 'string', minLength: 1 },
      service_name: { type: 'string', minLength: 1 },
      description: { type: 'string' },
      metadata: { type: 'boolean' },
      type: { enum: ['realtime', 'batch', 'blackbox'] },
      keywords: { type: 'string' },
      group: { type: 'string' },
    },
    additionalProperties: false,
  },
};

export const serviceDefinition = {
  type: 'object',
  required: ['service_code', 'attributes'],
  properties: {
    service_code: { type: 'string' },
    attributes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['variable', 'code', 'datatype', 'required', 'datatype_description', 'order', 'description'],
        properties: {
          variable: { type: 'boolean' },
          code: { type: 'string' },
          datatype: { enum: ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] },
          required: { type: 'boolean' },
          datatype_description: { type: 'string' },
          order: { type: 'integer', minimum: 1 },
          description: { type: 'string' },
          values: { type: 'array', items: { type: 'object', required: ['key', 'name'], properties: { key: { type: 'string' }, name: { type: 'string' } } } },
        },
      },
    },
  },
};

export const requestList = {
  type: 'array',
  items: {
    type: 'object',
    required: ['service_request_id', 'status', 'service_name', 'service_code', 'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'lat', 'long'],
    properties: {
      service_request_id: { type: 'string' },
      status: { enum: ['open', 'closed'] },
      status_notes: nullableString,
      service_name: { type: 'string' },
      service_code: { type: 'string' },
      description: nullableString,
      agency_responsible: nullableString,
      service_notice: nullableString,
      requested_datetime: { type: 'string', format: 'date-time' },
      updated_datetime: { type: 'string', format: 'date-time' },
      expected_datetime: { anyOf: [{ type: 'string', format: 'date-time' }, { const: '' }] },
      address: nullableString,
      address_id: nullableString,
      zipcode: nullableString,
      lat: { type: ['number', 'null'], minimum: -90, maximum: 90 },
      long: { type: ['number', 'null'], minimum: -180, maximum: 180 },
      media_url: nullableString,
    },
  },
};

export const createdList = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    anyOf: [{ required: ['service_request_id'] }, { required: ['token'] }],
    properties: { service_request_id: { type: 'string' }, token: { type: 'string' }, service_notice: { type: 'string' }, account_id: { type: ['string', 'null'] } },
  },
};

export const errors = {
  type: 'array',
  minItems: 1,
  items: { type: 'object', required: ['code', 'description'], properties: { code: { type: 'integer' }, description: { type: 'string' } }, additionalProperties: false },
};
