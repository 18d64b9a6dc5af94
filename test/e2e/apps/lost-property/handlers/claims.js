var db = require('../lib/db');
var mailer = require('../lib/mailer');
var items = require('./items');
var helpers = require('../lib/send');
var send = helpers.send;

// Someone at the desk (or on the website) says the thing is theirs.
function create(req, res, params) {
  var itemId = Number(params[0]);
  helpers.readJson(req, async function (err, body) {
    if (err) return send(res, 400, { error: 'invalid JSON' });
    if (!body.name || !body.email || !body.details) return send(res, 400, { error: 'name, email and details are required' });
    try {
      var item = await items.findItem(itemId);
      if (!item) return send(res, 404, { error: 'no such item' });
      if (item.status === 'returned') return send(res, 409, { error: 'that item has gone back to its owner' });
      var inserted = await db.primary.query(
        'INSERT INTO claims (item_id, name, email, details) VALUES ($1, $2, $3, $4) RETURNING id, item_id, name, email, details',
        [itemId, body.name, body.email, body.details]
      );
      var claim = inserted.rows[0];
      var others = await db.replica.query('SELECT id FROM claims WHERE item_id = $1', [itemId]);
      await mailer.claimReceived(claim, item);
      send(res, 201, { claim: { id: claim.id, itemId: claim.item_id, name: claim.name }, claimsOnItem: others.rows.length });
    } catch (e) {
      console.error(e);
      send(res, 500, { error: 'could not file the claim' });
    }
  });
}

function list(req, res, params) {
  db.primary.query('SELECT id, name, email, details FROM claims WHERE item_id = $1 ORDER BY id', [Number(params[0])]).then(function (result) {
    send(res, 200, { claims: result.rows });
  }).catch(function (e) {
    console.error(e);
    send(res, 500, { error: 'could not list claims' });
  });
}

module.exports = { create: create, list: list };
