'use strict';
// Compiled by the app build (docs/decisions/0001-local-plugins-compiled-by-the-app.md).
module.exports = require('../../dist/plugins/cases/server/src').default;
