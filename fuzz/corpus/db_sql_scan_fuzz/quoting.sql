SELECT $$ ? $$, E'\' ?', "q?" -- ?
/* ? */ FROM t ORDER BY {} {} LIMIT ?;