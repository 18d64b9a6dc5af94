var express = require('express');
var auth = require('../lib/auth');
var stats = require('../lib/stats');
var genres = require('../config/genres');

var router = express.Router();

router.get('/genres', function (req, res) {
  res.json(Object.keys(genres).map(function (key) {
    return { key: key, label: genres[key].label };
  }));
});

router.get('/stats', auth.requireLogin, function (req, res) {
  res.json({ views: stats.all() });
});

module.exports = router;
