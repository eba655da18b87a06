package postgres

import (
	"context"
	"fmt"

	"github.com/mallsync/mallsync"
)

// StockFigure is a variant's stock as the platform last reported it.
type StockFigure struct {
	ProductNo   string `db:"product_no"`
	VariantCode string `db:"variant_code"`
	Quantity    int    `db:"quantity"`
}

// Stock returns the platform's stock figure of every stored variant of mall, by variant code.
func (s *SyncStore) Stock(ctx context.Context, mall mallsync.MallKey) ([]StockFigure, error) {
	id, err := s.malls.id(ctx, mall)
	if err != nil {
		return nil, err
	}
	var out []StockFigure
	if err := s.db.SelectContext(ctx, &out, `
		SELECT product_no, variant_code, quantity FROM variants WHERE mall_id = $1 ORDER BY variant_code`, id); err != nil {
		return nil, fmt.Errorf("reading stock of %s: %w", mall, interpret(err))
	}
	return out, nil
}

// CatalogFacts returns the synced supplier trading types and product shipping types of mall
// (mallsync.CatalogFactStore).
func (s *SyncStore) CatalogFacts(ctx context.Context, mall mallsync.MallKey) (mallsync.CatalogFacts, error) {
	f := mallsync.CatalogFacts{SupplierTradingTypes: map[string]string{}, ProductShippingTypes: map[string]string{}}
	id, err := s.malls.id(ctx, mall)
	if err != nil {
		return f, err
	}
	var pairs []struct {
		K string `db:"k"`
		V string `db:"v"`
	}
	if err := s.db.SelectContext(ctx, &pairs, `SELECT code AS k, trading_type AS v FROM suppliers WHERE mall_id = $1`, id); err != nil {
		return f, fmt.Errorf("reading suppliers of %s: %w", mall, interpret(err))
	}
	for _, p := range pairs {
		f.SupplierTradingTypes[p.K] = p.V
	}
	pairs = pairs[:0]
	if err := s.db.SelectContext(ctx, &pairs, `
		SELECT product_code AS k, shipping_type AS v FROM products WHERE mall_id = $1 AND product_code <> ''`, id); err != nil {
		return f, fmt.Errorf("reading products of %s: %w", mall, interpret(err))
	}
	for _, p := range pairs {
		f.ProductShippingTypes[p.K] = p.V
	}
	return f, nil
}
