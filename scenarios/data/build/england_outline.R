# Writes the outline of England (Natural Earth 1:50m admin-0 map unit England) as
# part,lon,lat rows, from Debian's r-cran-rnaturalearthdata; see ../SOURCES.md section 5.
# Usage: Rscript england_outline.R > ../england_outline.csv
suppressMessages(library(sp))
data(map_units50, package="rnaturalearthdata")
x <- map_units50
i <- which(x@data$geounit == "England")
p <- x@polygons[[i]]
cat("part,lon,lat\n")
for (k in seq_along(p@Polygons)) { q <- p@Polygons[[k]]@coords; for (r in seq_len(nrow(q))) cat(sprintf("%d,%.4f,%.4f\n", k, q[r,1], q[r,2])) }
