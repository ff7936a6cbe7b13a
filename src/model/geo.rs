//! Great-circle distances between CCG locations (docs/model.md section 2).

/// Earth radius used by the haversine formula \[km\].
pub const EARTH_RADIUS_KM: f64 = 6371.0;

/// Returns the haversine great-circle distance between two points given in degrees \[km\].
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (phi1, phi2) = (lat1.to_radians(), lat2.to_radians());
    let d_phi = (lat2 - lat1).to_radians();
    let d_lambda = (lon2 - lon1).to_radians();
    let a = (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
}

/// Symmetric matrix of distances between every pair of CCG locations \[km\].
#[derive(Clone, Debug)]
pub struct DistanceMatrix {
    n: usize,
    km: Vec<f64>,
}

impl DistanceMatrix {
    /// Builds the matrix from `(lat, lon)` pairs in degrees.
    pub fn from_points(points: &[(f64, f64)]) -> DistanceMatrix {
        let n = points.len();
        let mut km = vec![0.0; n * n];
        for (i, &(lat_i, lon_i)) in points.iter().enumerate() {
            for (j, &(lat_j, lon_j)) in points.iter().enumerate().skip(i + 1) {
                let d = haversine_km(lat_i, lon_i, lat_j, lon_j);
                km[i * n + j] = d;
                km[j * n + i] = d;
            }
        }
        DistanceMatrix { n, km }
    }

    /// Returns the number of locations.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Returns true when the matrix holds no location.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Returns the distance between locations `i` and `j` \[km\].
    #[inline]
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.km[i * self.n + j]
    }

    /// Returns the distances from location `i` to every location \[km\].
    #[inline]
    pub fn row(&self, i: usize) -> &[f64] {
        &self.km[i * self.n..(i + 1) * self.n]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_matches_a_known_distance() {
        // London (51.5074, -0.1278) to Manchester (53.4808, -2.2426): about 262 km.
        let d = haversine_km(51.5074, -0.1278, 53.4808, -2.2426);
        assert!((d - 262.0).abs() < 1.5, "{d}");
    }

    #[test]
    fn one_degree_of_latitude_is_earth_radius_times_pi_over_180() {
        let d = haversine_km(50.0, 0.0, 51.0, 0.0);
        assert!((d - EARTH_RADIUS_KM * std::f64::consts::PI / 180.0).abs() < 1e-9);
    }

    #[test]
    fn matrix_is_symmetric_with_zero_diagonal() {
        let m = DistanceMatrix::from_points(&[(51.0, 0.0), (52.0, -1.0), (53.0, -2.0)]);
        for i in 0..3 {
            assert_eq!(m.get(i, i), 0.0);
            for j in 0..3 {
                assert_eq!(m.get(i, j), m.get(j, i));
            }
        }
    }
}
