UNWIND $names AS name CREATE (:Author {name: name})
