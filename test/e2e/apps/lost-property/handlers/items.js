var fs = require('fs');
var path = require('path');
var db = require('../lib/db');
var config = require('../config');
var CATEGORIES = require('../lib/categories');
var live = require('../lib/live');
var helpers = require('../lib/send');
var send = helpers.send;

// Rows by id, so the desk screen's refreshes don't hit the database every time.
var itemCache = new Map();

var PHOTO_TYPES = { 'image/jpeg': '.jpg', 'image/png': '.png' };

function present(row) {
  return {
    id: row.id,
    category: row.category,
    categoryName: CATEGORIES[row.category].name,
    description: row.description,
    foundAt: row.found_at,
    status: row.status,
    photo: row.photo ? '/api/items/' + row.id + '/photo' : null,
  };
}

function findItem(id) {
  if (itemCache.has(id)) return Promise.resolve(itemCache.get(id));
  return db.primary.query('SELECT * FROM items WHERE id = $1', [id]).then(function (result) {
    var row = result.rows[0] || null;
    if (row) itemCache.set(id, row);
    return row;
  });
}

function list(req, res, params, query) {
  var sql = 'SELECT * FROM items';
  var args = [];
  if (query.category) {
    sql += ' WHERE category = $1';
    args.push(String(query.category).toUpperCase());
  }
  db.replica.query(sql + ' ORDER BY id', args).then(function (result) {
    send(res, 200, { items: result.rows.map(present) });
  }).catch(function (e) {
    console.error(e);
    send(res, 500, { error: 'could not list items' });
  });
}

function create(req, res, params, query, staff) {
  helpers.readJson(req, function (err, body) {
    if (err) return send(res, 400, { error: 'invalid JSON' });
    var category = String(body.category || '').toUpperCase();
    if (!CATEGORIES[category]) return send(res, 400, { error: 'unknown category', categories: Object.keys(CATEGORIES) });
    if (!body.description || !body.foundAt) return send(res, 400, { error: 'description and foundAt are required' });
    db.primary.query(
      'INSERT INTO items (category, description, found_at, logged_by) VALUES ($1, $2, $3, $4) RETURNING *',
      [category, body.description, body.foundAt, staff.staffId]
    ).then(function (result) {
      var item = present(result.rows[0]);
      live.broadcast({ type: 'item-logged', item: item });
      send(res, 201, { item: item });
    }).catch(function (e) {
      console.error(e);
      send(res, 500, { error: 'could not log the item' });
    });
  });
}

function show(req, res, params) {
  findItem(Number(params[0])).then(function (row) {
    if (!row) return send(res, 404, { error: 'no such item' });
    send(res, 200, { item: present(row) });
  }).catch(function (e) {
    console.error(e);
    send(res, 500, { error: 'could not load the item' });
  });
}

function uploadPhoto(req, res, params) {
  var id = Number(params[0]);
  var ext = PHOTO_TYPES[(req.headers['content-type'] || '').split(';')[0]];
  if (!ext) {
    req.resume();
    return send(res, 415, { error: 'send a JPEG or PNG photo' });
  }
  findItem(id).then(function (row) {
    if (!row) {
      req.resume();
      return send(res, 404, { error: 'no such item' });
    }
    var file = 'item-' + id + ext;
    var out = fs.createWriteStream(path.join(config.uploadDir, file));
    req.pipe(out);
    out.on('finish', function () {
      db.primary.query('UPDATE items SET photo = $1 WHERE id = $2 RETURNING *', [file, id]).then(function (result) {
        itemCache.set(id, result.rows[0]);
        send(res, 201, { photo: '/api/items/' + id + '/photo' });
      });
    });
    out.on('error', function (e) {
      console.error(e);
      send(res, 500, { error: 'could not store the photo' });
    });
  }).catch(function (e) {
    console.error(e);
    send(res, 500, { error: 'could not store the photo' });
  });
}

function photo(req, res, params) {
  findItem(Number(params[0])).then(function (row) {
    if (!row || !row.photo) return send(res, 404, { error: 'no photo' });
    var file = path.join(config.uploadDir, row.photo);
    fs.stat(file, function (err, stat) {
      if (err) return send(res, 404, { error: 'no photo' });
      res.writeHead(200, { 'Content-Type': path.extname(file) === '.png' ? 'image/png' : 'image/jpeg', 'Content-Length': stat.size });
      fs.createReadStream(file).pipe(res);
    });
  }).catch(function (e) {
    console.error(e);
    send(res, 500, { error: 'could not load the photo' });
  });
}

// The tag the desk prints and ties to the item.
function label(req, res, params) {
  findItem(Number(params[0])).then(function (row) {
    if (!row) return send(res, 404, { error: 'no such item' });
    fs.readFile(path.join(__dirname, '..', 'templates', 'label.txt'), 'utf8', function (err, template) {
      if (err) return send(res, 500, { error: 'no label template' });
      var text = template
        .replace('{{office}}', config.office.office)
        .replace('{{id}}', String(row.id))
        .replace('{{category}}', CATEGORIES[row.category].name)
        .replace('{{description}}', row.description)
        .replace('{{foundAt}}', row.found_at);
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(text);
    });
  });
}

function markReturned(req, res, params) {
  var id = Number(params[0]);
  helpers.readJson(req, function (err, body) {
    if (err) return send(res, 400, { error: 'invalid JSON' });
    findItem(id).then(function (row) {
      if (!row) return send(res, 404, { error: 'no such item' });
      if (row.status === 'returned') return send(res, 409, { error: 'already returned' });
      return db.primary.query("UPDATE items SET status = 'returned' WHERE id = $1 RETURNING *", [id]).then(function (result) {
        itemCache.delete(id);
        live.broadcast({ type: 'item-returned', id: id, claim: body.claimId || null });
        send(res, 200, { item: present(result.rows[0]) });
      });
    }).catch(function (e) {
      console.error(e);
      send(res, 500, { error: 'could not update the item' });
    });
  });
}

module.exports = { list: list, create: create, show: show, uploadPhoto: uploadPhoto, photo: photo, label: label, markReturned: markReturned, findItem: findItem };
