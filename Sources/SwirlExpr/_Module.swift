// SwirlExpr
