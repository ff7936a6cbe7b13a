//! The U-shaped cost of a unit and the prices built on it (docs/model.md sections 5 and 7).

use super::params::{FunctionParams, MarketParams};
use super::{Function, N_FUNCTIONS, Params};

/// Cost curve of one unit for one function: `C(Q) = F + v Q + F (Q / Q*)^2` \[GBP/year\].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UnitCost {
    /// Fixed cost `F`, after its draw and any weak factor \[GBP/year\].
    pub fixed: f64,
    /// Variable cost `v`, after its draw \[GBP per head per year\].
    pub variable: f64,
    /// Efficient scale `Q*` \[people\].
    pub efficient_scale: f64,
}

impl UnitCost {
    /// Returns the cost curve with base parameters (no draw, no weak factor).
    pub fn base(params: &FunctionParams) -> UnitCost {
        UnitCost {
            fixed: params.fixed_cost,
            variable: params.variable_cost,
            efficient_scale: params.efficient_scale,
        }
    }

    /// Returns the size term `F (Q / Q*)^2` \[GBP/year\].
    #[inline]
    pub fn size_term(&self, population: f64) -> f64 {
        let ratio = population / self.efficient_scale;
        self.fixed * ratio * ratio
    }

    /// Returns the annual cost at population `Q`, `C(Q)` \[GBP/year\].
    pub fn annual(&self, population: f64) -> f64 {
        self.fixed + self.variable * population + self.size_term(population)
    }

    /// Returns the annual cost per head at `Q`, infinite at `Q = 0` \[GBP per head per year\].
    ///
    /// Its minimum is at `Q = Q*`, where it equals `2 F / Q* + v`.
    pub fn per_head(&self, population: f64) -> f64 {
        if population > 0.0 {
            self.annual(population) / population
        } else {
            f64::INFINITY
        }
    }
}

/// Returns the per-function price `(1 + margin) C_f(Q*_f) / Q*_f` with base parameters.
pub fn efficient_price(params: &FunctionParams, margin: f64) -> f64 {
    let cost = UnitCost::base(params);
    (1.0 + margin) * cost.per_head(cost.efficient_scale)
}

/// National framework and private prices per function \[GBP per population-year\].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MarketPrices {
    /// Framework national price per function.
    pub framework: [f64; N_FUNCTIONS],
    /// Private sector price per function.
    pub private: [f64; N_FUNCTIONS],
}

impl MarketPrices {
    /// Computes both price lists from base parameters (section 7).
    pub fn new(params: &Params) -> MarketPrices {
        let MarketParams {
            price_margin,
            private_margin,
        } = params.market;
        let price = |margin: f64| Function::ALL.map(|f| efficient_price(params.function(f), margin));
        MarketPrices {
            framework: price(price_margin),
            private: price(private_margin),
        }
    }

    /// Returns the framework price for all four functions \[GBP per head per year\].
    pub fn framework_total(&self) -> f64 {
        self.framework.iter().sum()
    }

    /// Returns the private price for all four functions \[GBP per head per year\].
    pub fn private_total(&self) -> f64 {
        self.private.iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_per_head_is_lowest_at_the_efficient_scale() {
        let cost = UnitCost {
            fixed: 1.6e6,
            variable: 1.4,
            efficient_scale: 5.0e6,
        };
        let at_star = cost.per_head(5.0e6);
        assert!((at_star - (2.0 * 1.6e6 / 5.0e6 + 1.4)).abs() < 1e-12);
        for q in [1.0e6, 4.0e6, 4.9e6, 5.1e6, 6.0e6, 2.0e7] {
            assert!(cost.per_head(q) > at_star, "{q}");
        }
        assert_eq!(cost.per_head(0.0), f64::INFINITY);
    }

    #[test]
    fn cost_curve_is_fixed_plus_variable_plus_size_term() {
        let cost = UnitCost {
            fixed: 1.0e6,
            variable: 0.65,
            efficient_scale: 8.0e6,
        };
        assert!((cost.annual(4.0e6) - (1.0e6 + 0.65 * 4.0e6 + 1.0e6 * 0.25)).abs() < 1e-6);
    }

    #[test]
    fn default_prices_match_hand_computation() {
        let prices = MarketPrices::new(&Params::default());
        // Efficient-scale costs per head: 2.04, 0.90, 3.73, 0.85 = 7.52 in all.
        assert!((prices.private_total() - 1.2 * 7.52).abs() < 1e-12);
        assert!((prices.framework_total() - 1.1 * 7.52).abs() < 1e-12);
    }
}
