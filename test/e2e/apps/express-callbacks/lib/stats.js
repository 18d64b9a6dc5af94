// page views per book since the server started
var views = {};

exports.hit = function (bookId) {
  views[bookId] = (views[bookId] || 0) + 1;
  return views[bookId];
};

exports.get = function (bookId) {
  return views[bookId] || 0;
};

exports.all = function () {
  return views;
};
